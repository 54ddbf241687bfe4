import { Global, Module } from '@nestjs/common';

import { buildStandardDeclarations } from './standard-objects';

/** The standard declarations of the current version, built and validated once at start-up. */
export const STANDARD_DECLARATIONS = Symbol('STANDARD_DECLARATIONS');

@Global()
@Module({
  providers: [{ provide: STANDARD_DECLARATIONS, useFactory: buildStandardDeclarations }],
  exports: [STANDARD_DECLARATIONS],
})
export class StandardDeclarationsModule {}
