export { problem, toProblem, type Problem } from './problem.js'
export { problemErrorHandler } from './error-handler.js'
