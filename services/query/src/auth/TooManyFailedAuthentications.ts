import { HttpException, HttpStatus } from '@nestjs/common';

/** 429: this address failed to authenticate too often; the exception filter sends `Retry-After`. */
export class TooManyFailedAuthentications extends HttpException {
  constructor(readonly retryAfterSeconds: number) {
    super(
      {
        statusCode: HttpStatus.TOO_MANY_REQUESTS,
        error: 'Too Many Requests',
        message: `too many failed authentications from this address: try again in ${retryAfterSeconds} s with a valid API key`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
