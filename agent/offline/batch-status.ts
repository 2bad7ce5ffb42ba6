/**
 * "Is the batch done?" needs a job id. The offline responder takes it from the question, else
 * from an earlier `job_id …` in the conversation, else from the run that wrote the latest stored
 * results (the `run_id` of get_analytics_overview), then calls get_batch_status with it.
 */
import type { ToolCallRequest } from '../model.ts';
import type { ToolReply } from './reply.ts';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const JOB_ID = /job_id\W+([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi;

/** The job id the user means: one in the question, else the last `job_id` mentioned earlier. */
export function knownJobId(question: string, earlier: string[]): string | null {
  const inQuestion = UUID.exec(question)?.[0];
  if (inQuestion) return inQuestion;
  const mentioned = earlier.flatMap((text) => [...text.matchAll(JOB_ID)].map((m) => m[1]!));
  return mentioned.at(-1) ?? null;
}

export type BatchStep = { calls: ToolCallRequest[] } | { answerFrom: ToolReply[] } | { say: string };

const call = (name: string, args: Record<string, unknown>): ToolCallRequest => ({ id: `call_offline_${name}_${crypto.randomUUID().slice(0, 8)}`, name, arguments: JSON.stringify(args) });

/** The next step of a batch-status question given the tool replies of this turn so far. */
export function batchStatusStep(jobId: string | null, replies: ToolReply[]): BatchStep {
  const status = replies.find((r) => r.name === 'get_batch_status');
  if (status) return { answerFrom: [status] };
  if (jobId) return { calls: [call('get_batch_status', { job_id: jobId })] };
  const overview = replies.find((r) => r.name === 'get_analytics_overview');
  if (!overview) return { calls: [call('get_analytics_overview', {})] };
  const runId = overview.data?.['run_id'];
  if (typeof runId === 'string' && runId) return { calls: [call('get_batch_status', { job_id: runId })] };
  return { say: 'No batch run has stored results for this portfolio yet. Say "run the batch" to compute them.' };
}
