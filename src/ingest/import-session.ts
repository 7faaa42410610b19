/**
 * What an import's steps see of its database session. The session itself
 * (session.ts), its trace (trace.ts) and the COPY blob (copy-blob.ts) all
 * speak this type, so it lives apart from each of them.
 */

/** The one database session an import runs in, inside one transaction. */
export interface ImportSession {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /**
   * `COPY target FROM` rows in PostgreSQL's text format (tab-separated,
   * `\N` for null, one row a line): the cheapest way into a table, cheaper
   * for the database than an INSERT of the same rows as JSON. The pieces
   * (text, or its UTF-8 bytes) hold whole lines and are sent as they are,
   * never joined.
   */
  copyIn(target: string, pieces: readonly CopyPiece[]): Promise<void>;
}

/** Whole lines of COPY text, as text or as its UTF-8 bytes. */
export type CopyPiece = string | Uint8Array<ArrayBuffer>;
