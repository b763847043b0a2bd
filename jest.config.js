/** Tests are TypeScript compiled by `tsc -p tsconfig.test.json` into .build/; jest runs the compiled files. */
module.exports = {
  rootDir: '.build',
  testMatch: ['<rootDir>/test/**/*.test.js'],
  testEnvironment: 'node',
  testTimeout: 60000,
  setupFiles: ['<rootDir>/test/setup.js'],
};
