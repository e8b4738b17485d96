#!/usr/bin/perl
# Time a boot to the shell prompt from the host, reading the guest's serial
# port (QEMU's stdout) as it comes:
#   boot_prompt.pl SECONDS QEMU-COMMAND...
# prints "TOTAL_MS KERNEL_MS": from starting QEMU to the prompt, and from
# the first byte on the serial port (the kernel's first line) to the prompt;
# then stops QEMU. Fails, showing the output, if no prompt comes in time.
use strict;
use warnings;
use Time::HiRes qw(time);

my $limit = shift;
my $prompt = qr{(?:^|\n)/[^ \n]* # };    # BusyBox sh as root, e.g. "/ # "

pipe(my $from_qemu, my $serial) or die "pipe: $!";
my $start = time;
my $pid = fork() // die "fork: $!";
if (!$pid) {
	close $from_qemu;
	open(STDOUT, '>&', $serial) or die "stdout: $!";
	open(STDIN, '<', '/dev/null') or die "stdin: $!";
	exec(@ARGV) or die "exec $ARGV[0]: $!";
}
close $serial;

my ($first, $seen, $deadline) = (undef, '', $start + $limit);
while ((my $left = $deadline - time) > 0) {
	my $ready = '';
	vec($ready, fileno($from_qemu), 1) = 1;
	next unless select($ready, undef, undef, $left);
	last unless sysread($from_qemu, my $bytes, 4096);
	$first //= time;
	($seen .= $bytes) =~ tr/\r//d;
	if ($seen =~ $prompt) {
		my $now = time;
		printf "%.0f %.0f\n", ($now - $start) * 1000, ($now - $first) * 1000;
		kill 'TERM', $pid;
		waitpid($pid, 0);
		exit 0;
	}
}
kill 'TERM', $pid;
waitpid($pid, 0);
print STDERR "boot_prompt: no shell prompt within $limit s; serial output:\n$seen\n";
exit 1;
