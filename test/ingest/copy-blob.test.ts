import { describe, expect, it } from 'vitest';
import { CopyChunkBlob } from '../../src/ingest/copy-blob.js';

const utf8 = new TextEncoder();

describe('COPY chunk blob for PGlite', () => {
  // Text and byte pieces, with multi-byte characters, as the importer sends them.
  const pieces = ['1\tZürich\n', utf8.encode('2\t東京\n'), '3\t\\N\n'];
  const text = '1\tZürich\n2\t東京\n3\t\\N\n';

  it('holds the pieces joined, in order, as one buffer of exactly their size', async () => {
    const blob = new CopyChunkBlob(pieces);
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.size).toBe(utf8.encode(text).byteLength);
    expect(blob.size).toBe(24); // 10 + 9 + 5: ü is two bytes, 東 and 京 three each
    const buffer = await blob.arrayBuffer();
    expect(buffer.byteLength).toBe(24);
    expect(new TextDecoder().decode(buffer)).toBe(text);
  });

  it('answers bytes, text, slice and stream from the same bytes, as a Blob would', async () => {
    const blob = new CopyChunkBlob(pieces);
    expect(await blob.text()).toBe(text);
    expect(await blob.bytes()).toEqual(utf8.encode(text));
    // Bytes 10..19: the second line.
    expect(await blob.slice(10, 19).text()).toBe('2\t東京\n');
    expect(await new Response(blob.stream()).text()).toBe(text);
  });

  it('is empty for no pieces', async () => {
    const blob = new CopyChunkBlob([]);
    expect(blob.size).toBe(0);
    expect((await blob.arrayBuffer()).byteLength).toBe(0);
  });
});
