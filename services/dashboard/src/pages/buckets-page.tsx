import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Bucket, BucketGrantRole } from '@stratus/spec';
import { DataTable } from '../components/data-table.js';
import { ErrorAlert } from '../components/error-alert.js';
import { Options } from '../components/options.js';
import { useClient } from '../lib/client-context.js';

const ROLES: readonly BucketGrantRole[] = ['READER', 'WRITER'];

/** Refresh the bucket list after a change (every project's: a grant shows in the grantee's). */
const useRefresh = (): (() => Promise<void>) => {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['buckets'] });
};

/** The grants of a bucket the project owns: a Revoke button each, and a form to add one. */
const Grants = ({ bucket }: { bucket: Bucket }) => {
  const { client } = useClient();
  const refresh = useRefresh();
  const [grantee, setGrantee] = useState('');
  const [role, setRole] = useState<BucketGrantRole>('READER');
  const grant = useMutation({
    mutationFn: () => client.buckets.grant(bucket.name, grantee.trim(), role),
    onSuccess: () => setGrantee(''),
    onSettled: refresh,
  });
  const revoke = useMutation({
    mutationFn: (project: string) => client.buckets.revoke(bucket.name, project),
    onSettled: refresh,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (grantee.trim() !== '') grant.mutate();
  };
  const failure = grant.error ?? revoke.error;
  return (
    <div className="grants">
      <ul>
        {(bucket.grants ?? []).map((g) => (
          <li key={g.project} data-grant={g.project}>
            {g.project}: {g.role}{' '}
            <button
              type="button"
              className="secondary small"
              aria-label={`Revoke ${g.project}'s access to ${bucket.name}`}
              disabled={revoke.isPending}
              onClick={() => revoke.mutate(g.project)}
            >
              Revoke
            </button>
          </li>
        ))}
      </ul>
      <form className="inline-form" onSubmit={submit}>
        <label>
          Project
          <input
            value={grantee}
            aria-label={`Project to grant access to ${bucket.name}`}
            onChange={(event) => setGrantee(event.target.value)}
          />
        </label>
        <label>
          Role
          <select
            value={role}
            aria-label={`Role to grant on ${bucket.name}`}
            onChange={(event) => setRole(event.target.value as BucketGrantRole)}
          >
            <Options values={ROLES} />
          </select>
        </label>
        <button
          type="submit"
          className="small"
          aria-label={`Grant access to ${bucket.name}`}
          disabled={grant.isPending}
        >
          Grant
        </button>
      </form>
      <ErrorAlert error={failure} />
    </div>
  );
};

/** Claim a bucket for the project. */
const ClaimForm = () => {
  const { client } = useClient();
  const refresh = useRefresh();
  const [name, setName] = useState('');
  const claim = useMutation({
    mutationFn: () => client.buckets.claim(name.trim().replace(/^gs:\/\//, '')),
    onSuccess: () => setName(''),
    onSettled: refresh,
  });
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (name.trim() !== '') claim.mutate();
  };
  return (
    <form className="card inline-form" onSubmit={submit} aria-label="Claim a bucket">
      <label>
        Bucket
        <input
          value={name}
          placeholder="my-data"
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <button type="submit" disabled={claim.isPending}>
        Claim
      </button>
      <ErrorAlert error={claim.error} />
    </form>
  );
};

/** The project's buckets (with their grants) and those other projects granted it. */
export const BucketsPage = () => {
  const { client, project } = useClient();
  const buckets = useQuery({
    queryKey: ['buckets', project],
    queryFn: () => client.buckets.list(),
  });
  const list = buckets.data?.buckets ?? [];
  return (
    <section className="buckets-page" aria-labelledby="buckets-title">
      <div className="page-head">
        <h1 id="buckets-title">Buckets</h1>
      </div>
      <p className="muted">
        A bucket belongs to the first project that uses it; its owner may let other projects read
        (READER) or read and write (WRITER) it.
      </p>
      <ClaimForm />
      <ErrorAlert error={buckets.error} />
      <DataTable
        columns={['Bucket', 'Owner', 'Access', 'Grants']}
        card
        empty={
          buckets.data !== undefined && list.length === 0
            ? 'No buckets yet: claim one, or name one in a job.'
            : undefined
        }
      >
        {list.map((bucket) => (
          <tr key={bucket.name} data-bucket={bucket.name}>
            <td>gs://{bucket.name}</td>
            <td>{bucket.owner}</td>
            <td>{bucket.role}</td>
            <td>{bucket.role === 'OWNER' ? <Grants bucket={bucket} /> : '—'}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
};
