// The citytwin executable: replaced by the host in twin-api/ as the server lands.
return 0;
