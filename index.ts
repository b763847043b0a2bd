export { LibredeskApi } from './credentials/LibredeskApi.credentials';
export { Libredesk } from './nodes/Libredesk/Libredesk.node';
