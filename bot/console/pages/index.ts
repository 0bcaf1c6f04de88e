/** @module The console's pages, one module each, registered on the app by ../app.ts. */
export { documentViewPage } from './document-view.ts';
export { curationPage } from './curation.ts';
export { documentsPage } from './documents.ts';
export { questionsCsv, questionsPage } from './questions.ts';
export { signInRoutes, signOutRoute } from './sign-in.ts';
export { tryPage } from './try.ts';
export { usagePage } from './usage.ts';
