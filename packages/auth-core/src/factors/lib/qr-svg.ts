// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- ambient module declarations cannot be imported
/// <reference path="./qrcode.d.ts" />
import QRCode from 'qrcode/lib/core/qrcode.js'
import SvgTag from 'qrcode/lib/renderer/svg-tag.js'

/** A QR code of `text` as a standalone SVG document (no script, no external reference). */
export function qrSvg(text: string): string {
  return SvgTag.render(QRCode.create(text, { errorCorrectionLevel: 'M' }), { margin: 2 }).trim()
}
