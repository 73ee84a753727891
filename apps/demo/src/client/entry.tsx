import { hydrateRoot } from 'react-dom/client'
import type { InitialState } from '../shared/page-state.js'
import { App } from './app.js'
import './styles.css'

const data = document.getElementById('initial-state')?.textContent
if (!data) throw new Error('The page has no #initial-state element')
const state = JSON.parse(data) as InitialState
hydrateRoot(document.getElementById('root')!, <App state={state} />)
