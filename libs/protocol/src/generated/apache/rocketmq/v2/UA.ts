// Original file: node_modules/rocketmq-client-nodejs/proto/apache/rocketmq/v2/definition.proto

import type { Language as _apache_rocketmq_v2_Language, Language__Output as _apache_rocketmq_v2_Language__Output } from '../../../apache/rocketmq/v2/Language';

export interface UA {
  'language'?: (_apache_rocketmq_v2_Language);
  'version'?: (string);
  'platform'?: (string);
  'hostname'?: (string);
}

export interface UA__Output {
  'language': (_apache_rocketmq_v2_Language__Output);
  'version': (string);
  'platform': (string);
  'hostname': (string);
}
