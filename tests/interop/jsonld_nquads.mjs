// smakg interop check with jsonld.js, an independent JSON-LD 1.1 implementation. Offline by construction.
//
//   node jsonld_nquads.mjs FILE...                  each JSON-LD file: expand, toRDF (N-Quads) and canonize
//                                                   (RDFC-1.0); each .nt/.nq file: canonize its N-Quads
//   node jsonld_nquads.mjs --frame FRAME FILE...     also frame each JSON-LD file with FRAME (a frame without
//                                                   "@context" gets the file's inline context)
//   node jsonld_nquads.mjs --default-loader FILE    the same with jsonld.js's own network loader, to show that
//                                                   the socket trap below stops it too
//
// Prints one JSON object {FILE: {nodes, nquads, canonical[, framed]}}. On any error: one line on stderr, exit 2.
//
// Two guards keep it offline. (1) Every jsonld.js call gets `refuse` as its document loader, which throws for any
// URL without looking at it. (2) Before jsonld.js is imported, sockets, DNS and fetch are replaced by functions
// that throw, so even a loader that tried to connect could not.
import dns from 'node:dns';
import {readFileSync} from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';

const trap = what => () => {
  throw new Error(`smakg-interop: network refused (${what})`);
};
net.Socket.prototype.connect = trap('socket');
net.connect = net.createConnection = trap('socket');
tls.connect = trap('tls');
dns.lookup = trap('dns');
dns.promises.lookup = trap('dns');
globalThis.fetch = trap('fetch');

const {default: jsonld} = await import('jsonld');

const REFUSED = 'smakg-interop: offline loader refused';
const refuse = async url => {
  throw new Error(`${REFUSED} ${JSON.stringify(url)}`);
};

const args = process.argv.slice(2);
const useDefault = args[0] === '--default-loader';
const frameFile = args[0] === '--frame' ? args[1] : null;
const files = args.slice(useDefault ? 1 : frameFile ? 2 : 0);
const loader = useDefault ? jsonld.documentLoaders.node() : refuse;
// safe mode: fail on anything lossy (a key that does not expand, an invalid IRI) instead of dropping it
const opts = {documentLoader: loader, safe: true};

const out = {};
try {
  for(const file of files) {
    const text = readFileSync(file, 'utf8');
    if(file.endsWith('.nt') || file.endsWith('.nq')) {
      out[file] = {canonical: await jsonld.canonize(text, {
        algorithm: 'RDFC-1.0', inputFormat: 'application/n-quads', format: 'application/n-quads'})};
      continue;
    }
    const doc = JSON.parse(text);
    const expanded = await jsonld.expand(doc, opts);
    const nquads = await jsonld.toRDF(expanded, {...opts, format: 'application/n-quads'});
    const canonical = await jsonld.canonize(doc, {
      ...opts, algorithm: 'RDFC-1.0', format: 'application/n-quads'});
    out[file] = {nodes: expanded.length, nquads, canonical};
    if(frameFile) {
      const frame = JSON.parse(readFileSync(frameFile, 'utf8'));
      const full = '@context' in frame ? frame : {'@context': doc['@context'], ...frame};
      out[file].framed = await jsonld.frame(doc, full, {...opts, omitDefault: true, omitGraph: false});
    }
  }
} catch(e) {
  process.stderr.write(`jsonld.js: ${chain(e).join(' <- caused by: ')}\n`);
  process.exit(2);
}

// every message down an error's chain of causes (jsonld.js nests them in details.cause, Node in cause)
function chain(e, seen = new Set()) {
  if(!e || seen.has(e)) {
    return [];
  }
  seen.add(e);
  const next = (e.details && e.details.cause) || e.cause;
  const event = e.details && e.details.event;  // safe mode: what would have been lost
  const what = event ? ` [${event.code}: ${event.message} ${JSON.stringify(event.details || {})}]` : '';
  return [`${e.name || 'Error'}: ${e.message || e}${what}`, ...chain(next, seen)];
}
process.stdout.write(JSON.stringify(out));
