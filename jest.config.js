// Jest 30 in ESM mode with swc: ESM test files (.ts), decorator metadata for NestJS, and the two ESM-only packages that CommonJS dependencies require() transformed.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  // content-disposition and cookie are ESM-only but require()d by CommonJS dependencies.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  roots: ['<rootDir>/machines', '<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts', '**/*.medium-spec.ts'],
  coverageProvider: 'v8',
  testTimeout: 60000,
};
