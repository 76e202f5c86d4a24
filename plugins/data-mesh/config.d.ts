export interface Config {
  dataMesh?: {
    /**
     * The access-request limits the request dialog offers. The backend
     * (`@data-mesh-portal/plugin-data-mesh-backend`) reads the same keys and
     * enforces them; this declaration makes them visible to the app.
     */
    accessRequests?: {
      /**
       * Days of access when a request names none. Default 90.
       * @visibility frontend
       */
      defaultDurationDays?: number;
      /**
       * Longest access anyone can request or be granted, in days. Default 365.
       * @visibility frontend
       */
      maxDurationDays?: number;
    };
  };
}
