/**
 * @module The admin console: a web app served by the bot process (documents, trying questions),
 * entered by a one-time link an admin gets from the bot in a private chat.
 */
export { IngestActivity } from './activity.ts';
export { createConsoleApp } from './app.ts';
export { ConsoleAuth } from './auth.ts';
export { consoleSignInReply } from './command.ts';
export { questionsCsv } from './pages/index.ts';
export { runRegression } from './regression.ts';
export { startConsole, type ConsoleServer } from './server.ts';
export { loadConsoleSecret } from './secret.ts';
