import type { CopyPiece } from './import-session.js';

/**
 * One chunk of COPY text for PGlite's `/dev/blob`, held in a single
 * ArrayBuffer of V8's own. With `new Blob(pieces)` (Node copies the chunk
 * into the blob, and PGlite's `arrayBuffer()` copies it again) the copies,
 * garbage at once, do not prompt V8 to collect on a busy main thread, so
 * they pile up until the reading ends and raise the process's peak memory.
 * PGlite reads a blob
 * through `arrayBuffer()`; the other Blob methods answer from the same
 * bytes, so this is a complete Blob whatever a later PGlite calls.
 */
export class CopyChunkBlob extends Blob {
  readonly #bytes: Uint8Array<ArrayBuffer>;

  constructor(pieces: readonly CopyPiece[]) {
    super();
    const parts = pieces.map((piece) => (typeof piece === 'string' ? encoder.encode(piece) : piece));
    this.#bytes = new Uint8Array(parts.reduce((size, part) => size + part.byteLength, 0));
    let at = 0;
    for (const part of parts) {
      this.#bytes.set(part, at);
      at += part.byteLength;
    }
  }

  override get size(): number {
    return this.#bytes.byteLength;
  }

  override arrayBuffer(): Promise<ArrayBuffer> {
    // The buffer is this chunk's alone and exactly its size: no copy needed.
    return Promise.resolve(this.#bytes.buffer);
  }

  override bytes(): Promise<Uint8Array<ArrayBuffer>> {
    return Promise.resolve(this.#bytes);
  }

  override text(): Promise<string> {
    return Promise.resolve(new TextDecoder().decode(this.#bytes));
  }

  override slice(start?: number, end?: number, contentType?: string): Blob {
    return new Blob([this.#bytes]).slice(start, end, contentType);
  }

  override stream(): ReturnType<Blob['stream']> {
    return new Blob([this.#bytes]).stream();
  }
}

const encoder = new TextEncoder();
