"""Value tier and service level from tier rules held as data (R-02, R-03), on change and on a schedule."""
