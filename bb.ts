import { benchBot } from './tests/bench/bot.ts';
console.log(await benchBot({ chats: Number(process.argv[2]), log: console.log }));
