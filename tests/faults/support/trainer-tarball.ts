/** An `npm pack`-shaped .tgz (ustar, gzip) of a few small files, for custom trainer jobs. */
import { gzipSync } from 'node:zlib';

const BLOCK = 512;

const header = (name: string, size: number): Buffer => {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100);
  block.write('0000644\0', 100); // mode
  block.write('0000000\0', 108); // uid
  block.write('0000000\0', 116); // gid
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write('00000000000\0', 136); // mtime
  block.write('        ', 148); // checksum placeholder: eight spaces
  block.write('0', 156); // a regular file
  block.write('ustar\0', 257);
  block.write('00', 263);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
};

/** Files (paths relative to the package root, under `package/` as npm packs them). */
export const trainerTarball = (files: Readonly<Record<string, string>>): Buffer => {
  const parts: Buffer[] = [];
  for (const [name, text] of Object.entries(files)) {
    const body = Buffer.from(text);
    parts.push(header(`package/${name}`, body.length), body);
    parts.push(Buffer.alloc((BLOCK - (body.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return gzipSync(Buffer.concat(parts));
};
