interface NodeServerContext {
  req?: { socket?: { remoteAddress?: string } };
}

/** The address of the peer that opened the connection (not a header the client writes), if the server knows it. */
export function socketAddress(serverContext: unknown): string | undefined {
  return (serverContext as NodeServerContext | undefined)?.req?.socket?.remoteAddress;
}

/** Whether an address is this machine's own (127.0.0.0/8, ::1, or IPv4 loopback mapped into IPv6). */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return v4.startsWith('127.') || address === '::1';
}

/** The client's address: the socket peer, or the first X-Forwarded-For hop when behind a trusted proxy. */
export function clientAddress(request: Request, serverContext: unknown, trustProxy = false): string {
  const forwarded = trustProxy ? request.headers.get('x-forwarded-for')?.split(',')[0]?.trim() : undefined;
  return forwarded || socketAddress(serverContext) || 'unknown';
}
