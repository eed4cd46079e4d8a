import { createContext, useContext } from 'react';
import type { StratusClient } from '@stratus/client';

export interface ClientContextValue {
  readonly client: StratusClient;
  readonly project: string;
}

export const ClientContext = createContext<ClientContextValue | undefined>(undefined);

/** The signed-in client, scoped to the selected project. */
export const useClient = (): ClientContextValue => {
  const value = useContext(ClientContext);
  if (value === undefined) throw new Error('useClient outside a signed-in page');
  return value;
};
