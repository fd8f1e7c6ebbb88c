-- Run once by the postgres image on an empty data volume (/docker-entrypoint-initdb.d).
-- The role `crm` is created by the image from POSTGRES_USER; every service gets its own
-- database, owned by crm, so no service can read another's tables by accident of a shared schema.
CREATE DATABASE gateway OWNER crm;
CREATE DATABASE customer OWNER crm;
CREATE DATABASE engagement OWNER crm;
CREATE DATABASE complaints OWNER crm;
CREATE DATABASE surveys OWNER crm;
CREATE DATABASE notifier OWNER crm;
