import { LoggerLevel, createLarkChannel } from '@larksuiteoapi/node-sdk';
import { startFakeLark } from './index.ts';
const fake = await startFakeLark();
const channel = createLarkChannel({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.baseUrl, loggerLevel: LoggerLevel.debug });
channel.on('message', (m) => console.log('MSG', m.content));
await channel.connect();
console.log('--- drop');
fake.dropWsClients();
await new Promise((r) => setTimeout(r, 200));
console.log('count', fake.wsClientCount());
await fake.waitForWsClient(10000);
console.log('--- reconnected', fake.wsClientCount());
try { console.log(await fake.deliverEvent(fake.messageEvent({ chatType: 'p2p', text: 'hi' }), { ackTimeoutMs: 3000 })); } catch (e) { console.log('ERR', e); }
await channel.disconnect(); await fake.close();
