export { type AwkOptions, awkArgv, awkCommand, findSandboxedAwk } from './awk-command.js';
export {
  ShellArgError,
  type ShellArgErrorCode,
  type ShellCharCategory,
  type ShellSignificantChar,
} from './errors.js';
export {
  createGalaxySanitizer,
  type GalaxyMappingAction,
  type GalaxySanitizeChange,
  type GalaxySanitizeResult,
  type GalaxySanitizer,
  type GalaxySanitizerOptions,
  type GalaxyValidAction,
  sanitizeGalaxy,
} from './galaxy-sanitizer.js';
export { type GrepOptions, grepArgv, grepCommand } from './grep-command.js';
export { checkPositional, type PositionalOptions } from './positional.js';
export { quote, quoteArgs } from './quote.js';
export { type SedOptions, sedArgv, sedCommand } from './sed-command.js';
export { checkSedScript } from './sed-script.js';
export { assertNoShellSignificant, detectShellSignificant } from './shell-significant.js';
export { type ShellInterpolation, type ShellValue, sh } from './template.js';
