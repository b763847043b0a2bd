import { z } from 'zod';

import { conversationUuid, requiredText } from './fields';

/** Go's time.ParseDuration units; a sign is not accepted here, since only a positive snooze makes sense. */
const GO_DURATION = /^(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+$/;

export const snoozeDuration = z
	.string({ invalid_type_error: 'must be text' })
	.trim()
	.regex(GO_DURATION, 'is not a duration (expected e.g. 30m, 2h, 1h30m or 72h)')
	.refine((value) => /[1-9]/.test(value), 'must be longer than zero');

export const updateStatusSchema = z
	.object({
		conversation: conversationUuid,
		status: requiredText(),
		snooze_duration: snoozeDuration.optional(),
	})
	.strict();

export type UpdateStatusRequest = z.output<typeof updateStatusSchema>;

export const updateStatusLabels: Record<string, string> = {
	conversation: 'Conversation',
	status: 'Status',
	snooze_duration: 'Snooze Duration',
};
