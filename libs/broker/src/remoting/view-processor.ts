import { toOrbitError } from '@orbitmq/protocol';
import { type HostAddress, type RemotingCommand, ResponseCode, createResponse, encodeMessageExts } from '@orbitmq/remoting';
import type { StorePort, StoreRecord } from '../store-port';
import { toMessageExt } from './message-mapping';
import { errorResponse, headerInt } from './remoting-headers';

export interface ViewProcessorDeps {
  store: Pick<StorePort, 'getMessageAt'>;
  storeHost: HostAddress;
}

/**
 * VIEW_MESSAGE_BY_ID (33): the record at commit-log offset `offset` (what an offsetMsgId holds),
 * as one MessageExt, as stored (a half or delayed message shows its system topic). No record
 * starting there: SYSTEM_ERROR, as RocketMQ's QueryMessageProcessor answers.
 */
export async function processViewMessageById(deps: ViewProcessorDeps, cmd: RemotingCommand): Promise<RemotingCommand> {
  try {
    const offset = headerInt(cmd.extFields, 'offset', 0, Number.MAX_SAFE_INTEGER);
    let record: StoreRecord;
    try {
      record = await deps.store.getMessageAt(offset);
    } catch (e) {
      return createResponse(cmd, ResponseCode.SYSTEM_ERROR, `can not find message by the offset, ${offset}: ${(e as Error).message}`);
    }
    return createResponse(cmd, ResponseCode.SUCCESS, undefined, {}, encodeMessageExts([toMessageExt(record, deps.storeHost)]));
  } catch (err) {
    return errorResponse(cmd, toOrbitError(err));
  }
}
