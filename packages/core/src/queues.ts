/** Queue names: one per kind of worker. The orchestrator's parent jobs live on `rebuild`. */
export const QUEUES = {
  rebuild: 'rebuild',
  embed: 'embed',
  reduce: 'reduce',
  index: 'index',
  recommend: 'recommend',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];
export const ALL_QUEUES: readonly QueueName[] = Object.values(QUEUES);
