import { requestPath } from './requestPath';

describe('requestPath', () => {
  it('takes the path of an origin-form target without its query', () => {
    expect(requestPath('/docs-json?x=1')).toBe('/docs-json');
    expect(requestPath('/emsp/sessions/T1')).toBe('/emsp/sessions/T1');
  });
  it('takes the path of an absolute-form target, as the router routes it', () => {
    expect(requestPath('http://evil.example/docs-json')).toBe('/docs-json');
    expect(requestPath('HTTPS://h:8080/ocpi/cpo/2.2.1/cdrs?offset=0')).toBe('/ocpi/cpo/2.2.1/cdrs');
    expect(requestPath('http://h')).toBe('/');
    expect(requestPath('http://h?x=/docs')).toBe('/');
  });
  it('has no path for anything else', () => {
    expect(requestPath('ftp://h/docs')).toBeUndefined();
    expect(requestPath('docs')).toBeUndefined();
    expect(requestPath(undefined)).toBeUndefined();
  });
});
