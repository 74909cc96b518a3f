-- CityTwin on PostgreSQL: cluster membership for Orleans' ADO.NET clustering provider (Orleans.Clustering.AdoNet).
--
-- Design choices:
--  * OrleansMembershipVersionTable and OrleansMembershipTable keep Orleans' names, columns and types, so Orleans'
--    membership service and anyone who knows its tables can use them. DeploymentId is Orleans' cluster id (--cluster).
--  * The version row is the table's ETag: every change of a membership row bumps it in the same statement, and a
--    change names the version it read, so two silos that change membership at once cannot both succeed (Orleans
--    reads the table again and retries).
--  * Plain statements, no PL/pgSQL functions (as in Reminders.sql): an insert or update of a membership row and the
--    bump of the version are data-modifying common table expressions of one statement, so they succeed or fail
--    together. The version row's update comes first and is conditional on the version read; it takes the row lock, so
--    a concurrent change waits, re-checks the version and changes nothing. The row's own insert or update is done only
--    for a version row that was updated, and the statement returns how many membership rows it changed (1 or 0), the
--    single value Orleans reads as success.
--  * An insert first checks that its (DeploymentId, Address, Port, Generation) is not taken, so a version is never
--    bumped for an insert that would conflict.
--  * Timestamps are timestamptz with millisecond precision, as Orleans writes them.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'InsertMembershipVersionKey', $sql$
    WITH inserted AS
    (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT (DeploymentId) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer FROM inserted
    $sql$
),
(
    'InsertMembershipKey', $sql$
    WITH version AS
    (
        UPDATE OrleansMembershipVersionTable
        SET Timestamp = now(), Version = Version + 1
        WHERE DeploymentId = @DeploymentId AND Version = @Version
            AND NOT EXISTS
            (
                SELECT 1 FROM OrleansMembershipTable
                WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
            )
        RETURNING DeploymentId
    ),
    inserted AS
    (
        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        SELECT DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
        FROM version
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING
        RETURNING 1
    )
    SELECT count(*)::integer FROM inserted
    $sql$
),
(
    'UpdateMembershipKey', $sql$
    WITH version AS
    (
        UPDATE OrleansMembershipVersionTable
        SET Timestamp = now(), Version = Version + 1
        WHERE DeploymentId = @DeploymentId AND Version = @Version
            AND EXISTS
            (
                SELECT 1 FROM OrleansMembershipTable
                WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
            )
        RETURNING DeploymentId
    ),
    updated AS
    (
        UPDATE OrleansMembershipTable AS m
        SET Status = @Status, SuspectTimes = @SuspectTimes, IAmAliveTime = @IAmAliveTime
        FROM version
        WHERE m.DeploymentId = version.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
        RETURNING 1
    )
    SELECT count(*)::integer FROM updated
    $sql$
),
(
    'UpdateIAmAlivetimeKey', $sql$
    UPDATE OrleansMembershipTable
    SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
    $sql$
),
(
    'MembershipReadRowKey', $sql$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable AS v
    -- The version row is returned even when no membership row matches.
    LEFT OUTER JOIN OrleansMembershipTable AS m
        ON v.DeploymentId = m.DeploymentId AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId
    $sql$
),
(
    'MembershipReadAllKey', $sql$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable AS v
    LEFT OUTER JOIN OrleansMembershipTable AS m ON v.DeploymentId = m.DeploymentId
    WHERE v.DeploymentId = @DeploymentId
    $sql$
),
(
    'DeleteMembershipTableEntriesKey', $sql$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
    $sql$
),
(
    'GatewaysQueryKey', $sql$
    SELECT Address, ProxyPort, Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
    $sql$
),
(
    'CleanupDefunctSiloEntriesKey', $sql$
    -- Status 3 is Active: an entry that is active but silent is left to the liveness protocol.
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status != 3
    $sql$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
