// The in-memory remoting command: one type for requests and responses, as in RocketMQ's RemotingCommand.
import { MQVersion, RemotingFlag } from './codes';

export type SerializeTypeName = 'JSON' | 'ROCKETMQ';

export interface RemotingCommand {
  /** Request code for a request, response code for a response. */
  code: number;
  /** LanguageCode name ("JAVA", "GO", ...). */
  language: string;
  /** The sender's MQVersion ordinal. */
  version: number;
  /** Request id, echoed by the response. */
  opaque: number;
  /** RemotingFlag bits. */
  flag: number;
  remark?: string;
  /** The custom header: every field as a string. */
  extFields: Record<string, string>;
  body?: Buffer;
  /** Header encoding this command arrived in (decoded) or goes out in (encoded). */
  serializeType: SerializeTypeName;
  /**
   * Called once the body is no longer needed: written to the socket, or never to be (connection
   * closed, oneway request). For a body lent from a BufferPool.
   */
  releaseBody?: () => void;
}

/** Language and version OrbitMQ puts on commands it creates: JAVA because pre-5.x Java peers know no NODE_JS. */
export const DEFAULT_LANGUAGE = 'JAVA';
/** V4_9_4: the first version name servers answer with standard JSON routes. */
export const DEFAULT_VERSION: number = MQVersion.V4_9_4;

let lastOpaque = 0;

/** A process-wide request id: positive i32, wrapping around long before collisions matter. */
export function nextOpaque(): number {
  lastOpaque = lastOpaque >= 0x7fffffff ? 1 : lastOpaque + 1;
  return lastOpaque;
}

export function isResponse(cmd: RemotingCommand): boolean {
  return (cmd.flag & RemotingFlag.RESPONSE) !== 0;
}

export function isOneway(cmd: RemotingCommand): boolean {
  return (cmd.flag & RemotingFlag.ONEWAY) !== 0;
}

export interface CreateOptions {
  language?: string;
  version?: number;
  serializeType?: SerializeTypeName;
}

export function createRequest(code: number, extFields: Record<string, string> = {}, body?: Buffer, options: CreateOptions = {}): RemotingCommand {
  const cmd: RemotingCommand = {
    code,
    language: options.language ?? DEFAULT_LANGUAGE,
    version: options.version ?? DEFAULT_VERSION,
    opaque: nextOpaque(),
    flag: 0,
    extFields,
    serializeType: options.serializeType ?? 'JSON',
  };
  if (body !== undefined) cmd.body = body;
  return cmd;
}

/** A response to `request`: its opaque, the RESPONSE bit, its header encoding (the connection may override it). */
export function createResponse(
  request: RemotingCommand,
  code: number,
  remark?: string,
  extFields: Record<string, string> = {},
  body?: Buffer,
): RemotingCommand {
  const cmd: RemotingCommand = {
    code,
    language: DEFAULT_LANGUAGE,
    version: DEFAULT_VERSION,
    opaque: request.opaque,
    flag: RemotingFlag.RESPONSE,
    extFields,
    serializeType: request.serializeType,
  };
  if (remark !== undefined) cmd.remark = remark;
  if (body !== undefined) cmd.body = body;
  return cmd;
}
