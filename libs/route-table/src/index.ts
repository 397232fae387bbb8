export * from './route-table';
export * from './rocketmq-json';
