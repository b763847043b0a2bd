export { LibredeskApi } from './credentials/LibredeskApi.credentials';
export { Libredesk } from './nodes/Libredesk/Libredesk.node';
export { LibredeskTrigger } from './nodes/LibredeskTrigger/LibredeskTrigger.node';
