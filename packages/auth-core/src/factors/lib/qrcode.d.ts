// Deep imports of qrcode: its root module (lib/server.js) also loads the PNG renderer (pngjs, zlib,
// fs), which core's Web-API-only main entry must not pull in. These two files are plain JS.
declare module 'qrcode/lib/core/qrcode.js' {
  export interface QRCodeData {
    modules: { size: number; data: Uint8Array }
  }
  const QRCode: { create(text: string, options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' }): QRCodeData }
  export default QRCode
}

declare module 'qrcode/lib/renderer/svg-tag.js' {
  import type { QRCodeData } from 'qrcode/lib/core/qrcode.js'
  const SvgTag: { render(data: QRCodeData, options?: { margin?: number; width?: number }): string }
  export default SvgTag
}
