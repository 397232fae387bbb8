/** A property value by name; undefined = the message does not have it. */
export type PropertyLookup = (name: string) => string | undefined;

/** What RocketMQ's evaluation context holds for one message. */
export interface FilterHead {
  tag: string;
  keys: readonly string[];
  messageId: string;
  messageGroup?: string | undefined;
  userProperty(name: string): string | undefined;
}

/**
 * RocketMQ evaluates against the message's whole property map, system keys included (MessageConst):
 * TAGS (absent when the tag is ''), KEYS (keys joined by one space, KEY_SEPARATOR; absent when none),
 * UNIQ_KEY (message id), __SHARDINGKEY (message group; absent when empty). Every other name is a user property.
 */
export function headLookup(head: FilterHead): PropertyLookup {
  return (name) => {
    switch (name) {
      case 'TAGS':
        return head.tag === '' ? undefined : head.tag;
      case 'KEYS':
        return head.keys.length === 0 ? undefined : head.keys.join(' ');
      case 'UNIQ_KEY':
        return head.messageId;
      case '__SHARDINGKEY':
        return head.messageGroup ? head.messageGroup : undefined;
      default:
        return head.userProperty(name);
    }
  };
}
