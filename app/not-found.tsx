import Link from "next/link";

export default function NotFound() {
  return (
    <div className="flex flex-col items-center py-24 text-center">
      <p className="text-sm font-medium text-indigo-300">404</p>
      <h1 className="mt-2 text-2xl font-semibold">Page not found</h1>
      <Link href="/" className="mt-6 text-sm font-medium text-indigo-300 hover:text-indigo-200">
        Back to the library
      </Link>
    </div>
  );
}
