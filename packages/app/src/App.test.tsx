import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('offers the demo people on the sign-in page when app.demoSignIn is configured', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: {
              title: 'Test',
              demoSignIn: {
                people: [
                  { userName: 'alice', title: 'Alice Moreau', role: 'Producer' },
                  { userName: 'bob', title: 'Bob Okafor', role: 'Consumer' },
                ],
              },
            },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };
    window.localStorage.clear();

    render(App.createRoot());

    expect(
      await screen.findByRole('button', { name: 'Sign in as Alice Moreau' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Sign in as Bob Okafor' }),
    ).toBeInTheDocument();
    expect(screen.getByText('Consumer')).toBeInTheDocument();
  });
});
