import { useState } from 'react';
import {
  Content,
  Header,
  Page,
  ProxiedSignInPage,
  SignInPage,
} from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  IdentityApi,
  useApi,
} from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';
import Button from '@material-ui/core/Button';
import Card from '@material-ui/core/Card';
import CardActions from '@material-ui/core/CardActions';
import CardContent from '@material-ui/core/CardContent';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';

/** Where the chosen demo person is remembered between page loads. */
export const DEMO_USER_STORAGE_KEY = 'data-mesh-portal.demo-user';

type DemoPerson = { userName: string; title: string; role: string };

function readDemoPeople(
  config: ReturnType<typeof useApi<typeof configApiRef.T>>,
): DemoPerson[] {
  return (config.getOptionalConfigArray('app.demoSignIn.people') ?? []).map(
    c => ({
      userName: c.getString('userName'),
      title: c.getString('title'),
      role: c.getString('role'),
    }),
  );
}

// Signing out must also forget the chosen person, or the proxied sign-in would
// silently sign the same person in again.
function forgetOnSignOut(identity: IdentityApi): IdentityApi {
  return {
    getProfileInfo: () => identity.getProfileInfo(),
    getBackstageIdentity: () => identity.getBackstageIdentity(),
    getCredentials: () => identity.getCredentials(),
    signOut: async () => {
      window.localStorage.removeItem(DEMO_USER_STORAGE_KEY);
      await identity.signOut();
    },
  };
}

/**
 * Sign-in page of the local portal: pick one of the demo people (dev-only,
 * `app.demoSignIn`). Without that config it is the production GitHub sign-in.
 */
export function DemoSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const people = readDemoPeople(config);
  const [chosen, setChosen] = useState<string | null>(() =>
    window.localStorage.getItem(DEMO_USER_STORAGE_KEY),
  );

  if (people.length === 0) {
    return (
      <SignInPage
        {...props}
        provider={{
          id: 'github-auth-provider',
          title: 'GitHub',
          message: 'Sign in using GitHub',
          apiRef: githubAuthApiRef,
        }}
      />
    );
  }

  if (chosen && people.some(p => p.userName === chosen)) {
    return (
      <ProxiedSignInPage
        provider="demo"
        headers={{ 'x-demo-user': chosen }}
        onSignInSuccess={identity =>
          props.onSignInSuccess(forgetOnSignOut(identity))
        }
        ErrorComponent={({ error }) => (
          <Page themeId="home">
            <Header title="Sign-in failed" />
            <Content>
              <Typography paragraph>{error?.message}</Typography>
              <Button
                variant="contained"
                color="primary"
                onClick={() => {
                  window.localStorage.removeItem(DEMO_USER_STORAGE_KEY);
                  setChosen(null);
                }}
              >
                Choose someone else
              </Button>
            </Content>
          </Page>
        )}
      />
    );
  }

  return (
    <Page themeId="home">
      <Header
        title="Data Mesh Portal"
        subtitle="Local demo: choose whom to sign in as"
      />
      <Content>
        <Grid container spacing={3}>
          {people.map(person => (
            <Grid item xs={12} sm={6} md={3} key={person.userName}>
              <Card>
                <CardContent>
                  <Typography variant="h6" component="h2">
                    {person.title}
                  </Typography>
                  <Typography color="textSecondary">{person.role}</Typography>
                </CardContent>
                <CardActions>
                  <Button
                    color="primary"
                    variant="contained"
                    aria-label={`Sign in as ${person.title}`}
                    onClick={() => {
                      window.localStorage.setItem(
                        DEMO_USER_STORAGE_KEY,
                        person.userName,
                      );
                      setChosen(person.userName);
                    }}
                  >
                    Sign in
                  </Button>
                </CardActions>
              </Card>
            </Grid>
          ))}
        </Grid>
      </Content>
    </Page>
  );
}
