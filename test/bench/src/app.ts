// Every realistic benchmark module, loaded together: startup of a (small) whole program.
export * as leaf from './leaf';
export * as objects from './objects';
export * as tokenizer from './tokenizer';
export * as recursive from './recursive';
export * as classes from './classes';
export * as generator from './generator';
export * as asyncLoop from './async-loop';
export * as hotLoop from './hot-loop';
export * as throwChain from './throw-chain';
