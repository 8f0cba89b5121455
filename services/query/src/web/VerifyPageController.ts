import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '../auth/RolesGuard';
import { buildOcmfBrowserBundle, VERIFY_PAGE_DIR } from './buildVerifyPage';

/**
 * The page's policy, sent as a header too (the same as its meta tag, plus no framing): its own scripts,
 * inline styles, and no connection anywhere.
 */
export const VERIFY_PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'none'; frame-ancestors 'none'";

/**
 * The driver's verification page: static files only, no data from the ledger, so it is the one
 * route without a key. The verification runs in the browser (pure-JS verifier); the page's content
 * security policy forbids it to connect anywhere.
 */
@ApiExcludeController()
@Public()
@Controller('verify')
export class VerifyPageController {
  private bundle: string | undefined;

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', VERIFY_PAGE_CSP)
  page(): string {
    return readFileSync(join(VERIFY_PAGE_DIR, 'verify.html'), 'utf8');
  }

  @Get('ocmf-browser.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  library(): string {
    return (this.bundle ??= buildOcmfBrowserBundle());
  }

  @Get('verify.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  script(): string {
    return readFileSync(join(VERIFY_PAGE_DIR, 'verify.js'), 'utf8');
  }
}
