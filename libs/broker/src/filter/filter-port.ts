/** A message head as a filter server gets it (filter.proto MessageHead): never the body. */
export interface FilterWireHead {
  tag: string;
  keys: string[];
  messageId: string;
  properties: Buffer;
}

export interface FilterMatchRequest {
  expression: string;
  topic: string;
  group: string;
  heads: FilterWireHead[];
}

/**
 * broker -> filter server, the one call the broker makes (the app implements it with gRPC; the
 * broker's logic stays transport-free). Resolves to the answer's bitset: bit i of byte i >> 3,
 * least significant first, set when heads[i] matched. Rejects on any failure, deadline included.
 */
export interface FilterServerTransport {
  match(endpoint: string, request: FilterMatchRequest, deadlineMs: number): Promise<Buffer>;
  /** The server is gone (expired or unregistered): release its connection. */
  forget(endpoint: string): void;
}

/** A transport for brokers that have no filter servers configured: every call fails. */
export const NO_FILTER_TRANSPORT: FilterServerTransport = {
  match: (endpoint) => Promise.reject(new Error(`no filter-server transport (cannot call ${endpoint})`)),
  forget: () => undefined,
};
