// The dunning aggregate lives in the domain; the jobs import it from here for their own names.
export * from '../../domain/dunning/dunning.ts';
export * from '../../domain/dunning/dunning.decide.ts';
