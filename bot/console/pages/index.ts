/** @module The console's pages, one module each, registered on the app by ../app.ts. */
export { documentViewPage } from './document-view.ts';
export { documentsPage } from './documents.ts';
export { signInRoutes, signOutRoute } from './sign-in.ts';
export { tryPage } from './try.ts';
