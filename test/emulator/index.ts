/**
 * An in-process emulator of the Libredesk v2.7.0 HTTP API (see /work/shared/libredesk/API.md), for tests:
 *
 *   const emulator = await LibredeskEmulator.start();
 *   await axios.post(`${emulator.url}/api/v1/conversations`, body, { headers: { Authorization: `token ${ADMIN.apiKey}:${ADMIN.apiSecret}` } });
 *   emulator.faults.add({ method: 'POST', path: '/api/v1/conversations' }, { type: 'reset', runHandler: true });
 *   await emulator.stop();
 */
export { LibredeskEmulator, type EmulatorOptions, type RecordedRequest } from './server';
export { ADMIN, AGENT, DISABLED, ROLE_PERMISSIONS, type ApiCredential } from './credentials';
export { Capacity, type CapacityModel, type CapacityStats } from './capacity';
export { Faults, type Fault, type FaultMatch, type FaultOptions } from './faults';
export { WEBHOOK_EVENTS, USER_AGENT, type Delivery } from './webhook-dispatcher';
export { seedLikeRealBootstrap, type BootstrapFixtures } from './real-bootstrap';
export type {
	Store, ConversationRecord, UserRecord, InboxRecord, TeamRecord, MessageRecord, MediaRecord, WebhookRecord,
	CustomAttributeRecord, TagRecord, StatusRecord, PriorityRecord, RoleRecord,
} from './store';
export type { EmulatorConfig } from './context';
