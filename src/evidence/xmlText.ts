/**
 * The text of an XML file from its bytes, decoded as XML says: a byte-order mark (UTF-8, UTF-16)
 * wins, else UTF-16 is recognised from its first bytes, else the prolog's `encoding` is used, else
 * UTF-8. Bytes that do not decode are an error naming the file, never replaced silently.
 */

import { TextDecoder } from "node:util";

/** Decodes `bytes`; throws naming `file` when the encoding is unknown or the bytes are invalid. */
export function decodeXmlBytes(bytes: Buffer, file: string): string {
  const encoding = detect(bytes);
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: false });
  } catch {
    throw new Error(
      `${file}: declares encoding "${encoding}", which cannot be decoded here; write the report as UTF-8`,
    );
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Error(`${file}: is not valid ${encoding}; write the report as UTF-8`);
  }
}

function detect(bytes: Buffer): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0x3c && bytes[1] === 0x00) return "utf-16le";
  if (bytes[0] === 0x00 && bytes[1] === 0x3c) return "utf-16be";
  const prolog = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(
    bytes.subarray(0, 200).toString("latin1"),
  );
  return prolog ? prolog[1].toLowerCase() : "utf-8";
}
