import { pickServer } from './server-placement';

describe('pickServer', () => {
  it('picks the server with the fewest workspaces', () => {
    expect(
      pickServer([
        { name: 'main', workspaces: 4 },
        { name: 'eu2', workspaces: 1 },
        { name: 'us1', workspaces: 3 },
      ]),
    ).toBe('eu2');
  });

  it('picks the first in directory order among equals', () => {
    expect(
      pickServer([
        { name: 'main', workspaces: 2 },
        { name: 'eu2', workspaces: 2 },
      ]),
    ).toBe('main');
  });

  it('picks none when no server is reachable', () => {
    expect(pickServer([])).toBeNull();
  });
});
