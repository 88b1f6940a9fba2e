#!/usr/bin/env node
// Compiles a Typst document to PDF with the native Typst compiler of the npm package
// @myriaddreamin/typst-ts-node-compiler, for bench/run.sh's Typst row where no `typst` CLI is
// installed (Debian 12 has none).
//
//   node bench/typst_compile.js MAIN.typ OUT.pdf [--root DIR] [--times FILE]
//   node bench/typst_compile.js --version
//
// TYPST_TS_NODE_MODULES names the node_modules folder that holds the package (default
// /opt/typst-ts/node_modules, from `npm install --prefix /opt/typst-ts
// @myriaddreamin/typst-ts-node-compiler`). --root is Typst's project root (default: MAIN's
// folder); files outside it cannot be read, as with `typst compile --root`.
//
// What a `typst compile` run does is timed in-process, from before the native module is loaded to
// the PDF written: loading the compiler, discovering the system fonts (the compiler scans the
// fontconfig folders as the CLI does; there is no font cache), compiling, exporting the PDF and
// writing it. Node's own start (~40 ms, which a typst CLI does not pay) is left out. The line
// printed gives that wall time, the process CPU time (user+sys, all threads) over the same span,
// and the parts. --times appends "WALL CPU" (seconds) to FILE, so that run.sh can keep the fastest
// of its repeated runs.
'use strict';
const t0 = process.hrtime.bigint();
const cpu0 = process.cpuUsage();
const fs = require('fs');
const path = require('path');

const modules = process.env.TYPST_TS_NODE_MODULES || '/opt/typst-ts/node_modules';
const pkg = path.join(modules, '@myriaddreamin', 'typst-ts-node-compiler');

function fail(msg) {
  process.stderr.write(`typst_compile.js: ${msg}\n`);
  process.exit(2);
}

function load() {
  try {
    return require(pkg);
  } catch (e) {
    fail(`cannot load ${pkg} (${e.message.split('\n')[0]}); install it with ` +
      '`npm install --prefix /opt/typst-ts @myriaddreamin/typst-ts-node-compiler` ' +
      'or set TYPST_TS_NODE_MODULES');
  }
}

function since(t) {
  return Number(process.hrtime.bigint() - t) / 1e9;
}

function version() {
  const { NodeCompiler } = load();
  const c = NodeCompiler.create({ workspace: '/' });
  const v = c.query({ mainFileContent: '#metadata(str(sys.version)) <v>' },
    { selector: '<v>', field: 'value' });
  const npmVersion = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')).version;
  console.log(`Typst ${v[0]} (@myriaddreamin/typst-ts-node-compiler ${npmVersion})`);
}

function compile(args) {
  const opt = (name) => {
    const i = args.indexOf(name);
    if (i < 0) return undefined;
    const v = args[i + 1];
    if (v === undefined) fail(`${name} needs a value`);
    args.splice(i, 2);
    return v;
  };
  const timesFile = opt('--times');
  const rootArg = opt('--root');
  if (args.length !== 2) fail('usage: typst_compile.js MAIN.typ OUT.pdf [--root DIR] [--times FILE]');
  const main = path.resolve(args[0]);
  const out = path.resolve(args[1]);
  const root = path.resolve(rootArg || path.dirname(main));

  const { NodeCompiler } = load();
  const tLoaded = process.hrtime.bigint();
  const compiler = NodeCompiler.create({ workspace: root });
  const tFonts = process.hrtime.bigint();
  const result = compiler.compile({ mainFilePath: main });
  if (result.hasError()) {
    result.printErrors();
    fail(`${main}: Typst reported errors`);
  }
  result.printDiagnostics(); // warnings, if any
  const doc = result.result;
  const tCompiled = process.hrtime.bigint();
  const pdf = compiler.pdf(doc);
  fs.writeFileSync(out, pdf);

  const wall = since(t0);
  const c = process.cpuUsage(cpu0);
  const cpu = (c.user + c.system) / 1e6;
  const part = (a, b) => (Number(b - a) / 1e9).toFixed(3);
  console.log(`typst: ${doc.numOfPages} pages, ${(pdf.length / 1e6).toFixed(1)} MB; in-process ` +
    `wall ${wall.toFixed(3)} s, CPU ${cpu.toFixed(2)} s (module ${part(t0, tLoaded)} s, ` +
    `compiler + fonts ${part(tLoaded, tFonts)} s, compile ${part(tFonts, tCompiled)} s, ` +
    `PDF ${since(tCompiled).toFixed(3)} s)`);
  if (timesFile) fs.appendFileSync(timesFile, `${wall.toFixed(3)} ${cpu.toFixed(2)} ${doc.numOfPages}\n`);
}

const argv = process.argv.slice(2);
if (argv[0] === '--version') version();
else compile(argv);
