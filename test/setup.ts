/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test setup */
// n8n-core logs every node error to the console; the tests assert on errors themselves.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL ?? 'silent';
