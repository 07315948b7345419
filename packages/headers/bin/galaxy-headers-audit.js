#!/usr/bin/env node
// The `galaxy-headers-audit` command: a committed file rather than dist/ itself, so that
// `npm ci` in a checkout links it before `tsc -b` has written dist/.
import '../dist/cli.js';
