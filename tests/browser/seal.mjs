// Seals a message as the board's script does in a browser, with the relay's
// vendored scripts (relay/board/vendor), so that a test can check the hub opens it.
//
//   node tests/browser/seal.mjs PUBLIC_KEY_HEX MESSAGE
//
// Prints the sealed box in hex.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import vm from "node:vm";
import { webcrypto } from "node:crypto";

const [keyHex, message] = process.argv.slice(2);
const vendor = new URL("../../relay/board/vendor/", import.meta.url);
const context = { crypto: webcrypto, Uint8Array, Object };
context.window = context;
context.self = context;
vm.createContext(context);
for (const file of ["nacl-fast.min.js", "sealedbox.web.js"]) {
  vm.runInContext(readFileSync(fileURLToPath(new URL(file, vendor)), "utf8"), context, { filename: file });
}
const key = Uint8Array.from(keyHex.match(/../g).map((h) => parseInt(h, 16)));
const sealed = context.sealedBox.seal(new TextEncoder().encode(message), key);
console.log(Buffer.from(sealed).toString("hex"));
