export declare function bundle(entry: string, outfile: string, options?: { shebang?: boolean }): Promise<void>;
