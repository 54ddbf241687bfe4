import { ArgumentMetadata, BadRequestException, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

/** How deep a JSON body may nest: far more than any request needs, far less than what exhausts a stack. */
export const MAX_BODY_DEPTH = 64;

/** A 400 that names the input property at fault, as the domain errors do. */
export class InputError extends BadRequestException {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super({ message, field });
  }
}

/** Whether a JSON value nests deeper than `limit`; walked without recursion, so no body can exhaust the stack. */
export const nestsDeeperThan = (value: unknown, limit: number): boolean => {
  const pending: Array<[unknown, number]> = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
};

const isJsonObject = (value: unknown): boolean => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The first failed constraint, with the path of its property (`options[0].value`). */
const firstProblem = (error: ValidationError, path = ''): { path: string; error: ValidationError } => {
  const here = /^\d+$/.test(error.property) ? `${path}[${error.property}]` : path ? `${path}.${error.property}` : error.property;
  if (error.constraints || !error.children?.length) return { path: here, error };
  return firstProblem(error.children[0], here);
};

/** The properties a body class takes, for the refusal of one it does not. */
const knownProperties = (target: object | undefined): string[] =>
  target
    ? [
        ...new Set(
          getMetadataStorage()
            .getTargetValidationMetadatas(target.constructor, '', true, false)
            .map((metadata) => metadata.propertyName),
        ),
      ]
    : [];

const toInputError = (errors: ValidationError[]): InputError => {
  const { path, error } = firstProblem(errors[0]);
  const constraints = error.constraints ?? {};
  if (constraints.whitelistValidation) {
    const known = knownProperties(error.target);
    return new InputError(path, `"${path.slice(0, 80)}" is not a property of this request; it takes ${known.join(', ')}`);
  }
  return new InputError(path, Object.values(constraints)[0] ?? `${path} is not valid`);
};

/**
 * Every request body through its class-validator class: a body that is not a JSON object, nests
 * too deep, has a property the class does not declare, or a value of the wrong kind is a 400
 * naming the property, before any service reads it. The services then check the rules that
 * need the workspace (names taken, types allowed at its version).
 */
@Injectable()
export class RequestValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      stopAtFirstError: true,
      validationError: { target: true, value: true },
      exceptionFactory: toInputError,
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body') {
      if (nestsDeeperThan(value, MAX_BODY_DEPTH)) {
        throw new InputError('body', `the request body nests deeper than ${MAX_BODY_DEPTH} levels of objects and lists; send flatter JSON`);
      }
      if (this.toValidate(metadata) && !isJsonObject(value)) {
        throw new InputError('body', 'the request body must be a JSON object (Content-Type: application/json)');
      }
    }
    return super.transform(value, metadata);
  }
}
