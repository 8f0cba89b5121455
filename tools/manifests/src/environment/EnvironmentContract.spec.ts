import { contractFromConfigVariables, isConfigVariableList } from './EnvironmentContract';

describe('contractFromConfigVariables', () => {
  it('reads libs/service-runtime’s ConfigVariable[]: names, required ones, secrets and their file twins', () => {
    const list = [
      { name: 'QUERY_API_KEYS', required: true, secret: true, file: 'QUERY_API_KEYS_FILE' },
      { name: 'QUERY_API_KEYS_FILE', required: false, secret: false, fileFor: 'QUERY_API_KEYS' },
      { name: 'QUERY_PORT', required: false, secret: false },
    ];
    expect(isConfigVariableList(list)).toBe(true);
    expect(contractFromConfigVariables(list)).toEqual({
      variables: ['QUERY_API_KEYS', 'QUERY_API_KEYS_FILE', 'QUERY_PORT'],
      required: ['QUERY_API_KEYS'],
      secrets: ['QUERY_API_KEYS'],
      fileTwins: { QUERY_API_KEYS: 'QUERY_API_KEYS_FILE' },
    });
  });

  it('recognises only such lists', () => {
    expect(isConfigVariableList([])).toBe(false);
    expect(isConfigVariableList([{ name: 'X' }])).toBe(false);
    expect(isConfigVariableList('X')).toBe(false);
  });
});
