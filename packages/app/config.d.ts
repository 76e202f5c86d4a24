export interface Config {
  app?: {
    /**
     * Dev-only: the people the local sign-in page offers. Leave unset in production.
     * @deepVisibility frontend
     */
    demoSignIn?: {
      people: Array<{
        /** Catalog User entity name. */
        userName: string;
        /** Display name on the sign-in page. */
        title: string;
        /** What this person does in the demo. */
        role: string;
      }>;
    };
  };
}
